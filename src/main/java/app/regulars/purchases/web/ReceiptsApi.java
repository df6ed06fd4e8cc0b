package app.regulars.purchases.web;

import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.purchases.IntakeResult;
import app.regulars.purchases.PurchaseIntake;
import app.regulars.purchases.ReceiptDraft;
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

/** Receipts from tills, shops and ERPs. Retrying a call is safe: (source, receiptNo) is stored once. */
@RestController
@RequestMapping("/api/v1/receipts")
class ReceiptsApi {

    static final int MAX_BATCH = 1000;

    /** The answer to a batch, in the order the receipts were sent. */
    record BatchResult(int created, int replayed, List<IntakeResult> results) {}

    private final PurchaseIntake intake;
    private final StoreScope scope;
    private final Timestamps times;

    ReceiptsApi(PurchaseIntake intake, StoreScope scope, Timestamps times) {
        this.intake = intake;
        this.scope = scope;
        this.times = times;
    }

    /** 201 when this call stored something, 200 when everything had been stored by an earlier call. */
    @PostMapping
    ResponseEntity<Object> post(@RequestBody ReceiptsRequest body) {
        if (body == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        if (!body.isBatch()) {
            List<FieldError> errors = new ArrayList<>();
            ReceiptDraft draft = body.draft("", times, errors);
            failOn(errors);
            scope.check(draft.storeCode() == null ? Map.of() : Map.of("storeCode", draft.storeCode()));
            IntakeResult result = intake.accept(draft);
            return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(result);
        }
        if (body.hasReceiptFields()) {
            throw ApiProblem.badRequest("receipts", "send either one receipt or a list of receipts, not both");
        }
        if (body.receipts().size() > MAX_BATCH) {
            throw new ApiProblem(HttpStatus.PAYLOAD_TOO_LARGE, "at most " + MAX_BATCH + " receipts per call, got "
                    + body.receipts().size(), List.of(new FieldError("receipts", "at most " + MAX_BATCH + " per call")));
        }
        List<FieldError> errors = new ArrayList<>();
        List<ReceiptDraft> drafts = new ArrayList<>(body.receipts().size());
        for (int i = 0; i < body.receipts().size(); i++) {
            ReceiptsRequest r = body.receipts().get(i);
            drafts.add(r == null ? null : r.draft("receipts[" + i + "].", times, errors));
        }
        failOn(errors);
        Map<String, String> stores = new LinkedHashMap<>();
        for (int i = 0; i < drafts.size(); i++) {
            if (drafts.get(i) != null && drafts.get(i).storeCode() != null) {
                stores.put("receipts[" + i + "].storeCode", drafts.get(i).storeCode());
            }
        }
        scope.check(stores);
        List<IntakeResult> results = intake.acceptAll(drafts);
        int created = (int) results.stream().filter(IntakeResult::created).count();
        return ResponseEntity.status(created > 0 ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new BatchResult(created, results.size() - created, results));
    }

    private static void failOn(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
    }
}
