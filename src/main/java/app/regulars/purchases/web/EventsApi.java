package app.regulars.purchases.web;

import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.purchases.InteractionDraft;
import app.regulars.purchases.InteractionIntake;
import app.regulars.purchases.InteractionResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Interactions (visits, reviews, coupon use, …) from channels; idempotent on (source, externalId). */
@RestController
@RequestMapping("/api/v1/events")
class EventsApi {

    record BatchResult(int created, int replayed, List<InteractionResult> results) {}

    private final InteractionIntake intake;
    private final StoreScope scope;
    private final Timestamps times;

    EventsApi(InteractionIntake intake, StoreScope scope, Timestamps times) {
        this.intake = intake;
        this.scope = scope;
        this.times = times;
    }

    @PostMapping
    ResponseEntity<Object> post(@RequestBody EventsRequest body) {
        if (body == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        if (!body.isBatch()) {
            List<FieldError> errors = new ArrayList<>();
            InteractionDraft draft = body.draft("", times, errors);
            failOn(errors);
            scope.check(body.storeCode() == null ? Map.of() : Map.of("storeCode", body.storeCode()));
            InteractionResult result = intake.record(draft);
            return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(result);
        }
        if (body.hasEventFields()) {
            throw ApiProblem.badRequest("events", "send either one event or a list of events, not both");
        }
        if (body.events().size() > ReceiptsApi.MAX_BATCH) {
            throw new ApiProblem(HttpStatus.PAYLOAD_TOO_LARGE, "at most " + ReceiptsApi.MAX_BATCH + " events per call",
                    List.of(new FieldError("events", "at most " + ReceiptsApi.MAX_BATCH + " per call")));
        }
        List<FieldError> errors = new ArrayList<>();
        List<InteractionDraft> drafts = new ArrayList<>(body.events().size());
        for (int i = 0; i < body.events().size(); i++) {
            EventsRequest e = body.events().get(i);
            drafts.add(e == null ? null : e.draft("events[" + i + "].", times, errors));
        }
        failOn(errors);
        Map<String, String> stores = new LinkedHashMap<>();
        for (int i = 0; i < drafts.size(); i++) {
            if (drafts.get(i) != null && drafts.get(i).storeCode() != null) {
                stores.put("events[" + i + "].storeCode", drafts.get(i).storeCode());
            }
        }
        scope.check(stores);
        List<InteractionResult> results = intake.recordAll(drafts);
        int created = (int) results.stream().filter(InteractionResult::created).count();
        return ResponseEntity.status(created > 0 ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new BatchResult(created, results.size() - created, results));
    }

    private static void failOn(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
    }
}
