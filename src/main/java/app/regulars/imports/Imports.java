package app.regulars.imports;

import app.regulars.access.Caller;
import app.regulars.access.Callers;
import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.customers.CustomField;
import app.regulars.customers.CustomFields;
import app.regulars.customers.CustomerProfiles;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.FeedWake;
import app.regulars.platform.RegularsProperties;
import app.regulars.purchases.PurchaseIntake;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Importing customers, products and receipts from CSV/XLSX files: preview and mapping, jobs that run
 * in the background (console, API) or in the foreground (command line), and their error reports.
 * One import applies at a time; others wait as "queued" (two cores do not get faster by sharing).
 */
@Service
public class Imports {

    private static final Logger log = LoggerFactory.getLogger(Imports.class);
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{32}");
    private static final int SAMPLE_ROWS = 5;

    private final ImportJobs jobs;
    private final Catalog catalog;
    private final CustomerProfiles profiles;
    private final CustomFields customFields;
    private final TransactionTemplate tx;
    private final PurchaseIntake intake;
    private final Clock clock;
    private final Path folder;
    private final ZoneId defaultZone;
    private final Semaphore oneAtATime = new Semaphore(1, true);
    private final MessageSource messages;
    private final FeedWake feed;

    Imports(ImportJobs jobs, Catalog catalog, CustomerProfiles profiles, CustomFields customFields,
            PurchaseIntake intake, TransactionTemplate tx, Clock clock, RegularsProperties properties,
            MessageSource messages, FeedWake feed) {
        this.messages = messages;
        this.feed = feed;
        this.jobs = jobs;
        this.catalog = catalog;
        this.profiles = profiles;
        this.customFields = customFields;
        this.tx = tx;
        this.intake = intake;
        this.clock = clock;
        this.folder = properties.dataDir().resolve("imports").toAbsolutePath();
        this.defaultZone = properties.timezone();
    }

    // ---- uploads and preview ------------------------------------------------------------------------

    /** Keeps an uploaded file under {@code <dataDir>/imports/uploads} and returns its id. */
    public String keepUpload(InputStream content, String fileName) {
        String id = UUID.randomUUID().toString().replace("-", "");
        Path target = uploadPath(id, fileName);
        try {
            Files.createDirectories(target.getParent());
            Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the uploaded file", e);
        }
        return id;
    }

    /** The kept upload with this id. */
    public Path upload(String uploadId) {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            throw ApiProblem.notFound("upload");
        }
        try (var files = Files.list(folder.resolve("uploads"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(uploadId + "-")).findFirst()
                    .orElseThrow(() -> ApiProblem.notFound("upload"));
        } catch (IOException e) {
            throw ApiProblem.notFound("upload");
        }
    }

    /** The file name the user uploaded, from a kept upload's path. */
    public static String uploadedName(Path upload) {
        String name = upload.getFileName().toString();
        int dash = name.indexOf('-');
        return dash < 0 ? name : name.substring(dash + 1);
    }

    private Path uploadPath(String id, String fileName) {
        String safe = fileName == null ? "upload" : Path.of(fileName).getFileName().toString().replaceAll("[^\\p{L}\\p{N}._-]", "_");
        return folder.resolve("uploads").resolve(id + "-" + safe);
    }

    /**
     * Headers, the field each maps to (from a saved mapping when named, otherwise recognised) and a
     * few sample rows with phone-like values masked.
     */
    public FilePreview preview(String uploadId, ImportType requestedType, String mappingName) {
        Path file = upload(uploadId);
        try (Sheet sheet = Sheets.open(file)) {
            List<String> headers = sheet.headers();
            ImportType type = requestedType != null ? requestedType : HeaderRecognition.guessType(headers)
                    .orElseThrow(() -> ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("type", "unknownType",
                            "cannot tell from the headers what the file holds: choose the type")));
            List<String> fields = fields(type, headers, null, mappingName);
            List<List<String>> samples = new ArrayList<>();
            for (SheetRow row : sheet) {
                List<String> cells = new ArrayList<>();
                for (int c = 0; c < headers.size(); c++) {
                    cells.add(mask(row.cell(c)));
                }
                samples.add(cells);
                if (samples.size() == SAMPLE_ROWS) {
                    break;
                }
            }
            return new FilePreview(uploadId, uploadedName(file), type, headers, fields, samples, sheet.warnings());
        }
    }

    /** Masks what looks like a phone or card number (long digit runs): 138****1234. */
    static String mask(String value) {
        if (value == null) {
            return "";
        }
        String digits = value.replaceAll("[\\s+()-]", "");
        if (digits.length() >= 7 && digits.chars().allMatch(Character::isDigit) && digits.length() <= 19) {
            return digits.substring(0, 3) + "****" + digits.substring(digits.length() - 4);
        }
        return value;
    }

    private List<String> fields(ImportType type, List<String> headers, Map<String, String> mapping, String mappingName) {
        Map<String, String> chosen = mapping;
        if (chosen == null && mappingName != null && !mappingName.isBlank()) {
            chosen = jobs.mapping(type, mappingName.strip())
                    .orElseThrow(() -> ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("mapping", "noSuchMapping",
                            "no saved " + type.code() + " mapping with this name")));
        }
        if (chosen == null) {
            List<String> fields = new ArrayList<>(HeaderRecognition.recognise(type, headers));
            if (type == ImportType.CUSTOMERS) {
                recogniseCustomFields(headers, fields);
            }
            return fields;
        }
        List<String> out = new ArrayList<>();
        for (String h : headers) {
            String f = chosen.get(h);
            out.add(f == null || f.isBlank() ? null : f);
        }
        return out;
    }

    /** Columns headed with a custom field's label or key ("肤质", "Skin type", "skin_type") map to it. */
    private void recogniseCustomFields(List<String> headers, List<String> fields) {
        List<CustomField> defined = customFields.definitions();
        for (int i = 0; i < headers.size(); i++) {
            if (fields.get(i) != null) {
                continue;
            }
            String h = HeaderRecognition.normalise(headers.get(i));
            for (CustomField f : defined) {
                String field = ImportType.CUSTOM_PREFIX + f.key();
                if (!fields.contains(field) && (h.equals(HeaderRecognition.normalise(f.labelZh()))
                        || h.equals(HeaderRecognition.normalise(f.labelEn())) || h.equals(HeaderRecognition.normalise(f.key())))) {
                    fields.set(i, field);
                    break;
                }
            }
        }
    }

    /** The fields a column of this type can be mapped to, custom fields included, in the console's order. */
    public List<String> targetFields(ImportType type) {
        List<String> out = new ArrayList<>(type.fields());
        if (type == ImportType.CUSTOMERS) {
            customFields.definitions().forEach(f -> out.add(ImportType.CUSTOM_PREFIX + f.key()));
        }
        return out;
    }

    public List<String> mappingNames(ImportType type) {
        return jobs.mappings(type).stream().map(m -> m[0]).toList();
    }

    /** Saved mappings of every type as "type:name", for one dropdown. */
    public List<String> savedMappings() {
        return jobs.mappings(null).stream().map(m -> m[1] + ":" + m[0]).toList();
    }

    public Optional<Map<String, String>> mapping(ImportType type, String name) {
        return jobs.mapping(type, name);
    }

    public void saveMapping(ImportType type, String name, Map<String, String> columns) {
        if (name == null || name.isBlank() || name.length() > 80) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST,
                    Refusals.CODES.of("saveMappingAs", "mappingName", "a name of 1 to 80 characters"));
        }
        jobs.saveMapping(type, name.strip(), columns);
    }

    // ---- jobs ---------------------------------------------------------------------------------------

    /** Checks the request, records a queued job and runs it on a virtual thread. */
    public ImportJob start(ImportRequest request) {
        Prepared p = prepare(request);
        // A store-scoped caller's job runs as that caller, so it changes no more than the caller may (0004).
        Runnable job = p.storeScope == null ? () -> execute(p)
                : () -> Callers.runAs(new Caller(Objects.requireNonNullElse(request.createdBy(), "import"), false,
                        p.storeScope, false), () -> execute(p));
        Thread.ofVirtual().name("import-" + p.jobId).start(job);
        return jobs.find(p.jobId).orElseThrow();
    }

    /** Runs an import in the calling thread and returns how it ended (the command line). */
    ImportJob run(ImportRequest request, ImportRun.Progress echo) {
        Prepared p = prepare(request);
        p.echo = echo;
        execute(p);
        return jobs.find(p.jobId).orElseThrow();
    }

    public Optional<ImportJob> job(long id) {
        return jobs.find(id);
    }

    public List<ImportJob> recent(int limit) {
        return jobs.recent(limit);
    }

    /** The stored error report: row, column, the reason in English, its code and argument (see ErrorReport). */
    public Optional<Path> errorReport(long id) {
        return jobs.reportPath(id).map(Path::of).filter(Files::exists);
    }

    /** Writes an error report as row, column and reason in the reader's language, for Excel. */
    public void writeErrorReport(Path report, Locale locale, OutputStream out) throws IOException {
        ErrorReport.copyIn(report, locale, messages, out);
    }

    /**
     * The first {@code limit} rows of a job's error report, reasons in the reader's language (row,
     * column, reason; never a cell value); empty when the job has no report.
     */
    public List<ImportError> firstErrors(long id, int limit, Locale locale) {
        Optional<Path> report = errorReport(id);
        if (report.isEmpty()) {
            return List.of();
        }
        try {
            return ErrorReport.firstRows(report.get(), limit, locale, messages);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the error report of import " + id, e);
        }
    }

    /** Jobs whose process stopped (heartbeat older than two minutes) are marked failed with how to finish them. */
    public int markAbandoned() {
        return jobs.markAbandoned(clock.instant().minus(Duration.ofMinutes(2)));
    }

    private static final class Prepared {
        long jobId;
        Path file;
        ImportType type;
        Columns columns;
        ImportOptions options;
        ImportRun.Progress echo;
        Set<Long> storeScope;
    }

    private Prepared prepare(ImportRequest request) {
        Path file = request.file();
        String fileName = request.fileName() != null ? request.fileName() : file.getFileName().toString();
        List<String> headers;
        List<ApiProblem.FieldError> warnings;
        try (Sheet sheet = Sheets.open(file)) {
            headers = sheet.headers();
            warnings = sheet.warnings();
        }
        ImportType type = request.type() != null ? request.type() : HeaderRecognition.guessType(headers)
                .orElseThrow(() -> ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("type", "unknownType",
                        "cannot tell from the headers what the file holds: give the type")));
        if (type == ImportType.PRODUCTS && request.storeScope() != null) {
            // Refused before the job starts: inside it, every row would be refused by the catalog (0004).
            throw ApiProblem.of(HttpStatus.FORBIDDEN, Refusals.CODES.of("type", "productsChainWide",
                    "products belong to the whole chain: importing them needs access to all stores"));
        }
        ImportOptions options = (request.options() == null ? ImportOptions.defaults() : request.options())
                .withDefaultSource(fileName);
        if (options.storeCode() != null && !options.storeCode().isBlank() && catalog.storeByCode(options.storeCode().strip())
                .filter(s -> request.storeScope() == null || request.storeScope().contains(s.id())).isEmpty()) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("store", "noSuchStore", "no store with this code"));
        }
        if (options.timezone() != null && !options.timezone().isBlank()) {
            try {
                ZoneId.of(options.timezone());
            } catch (java.time.DateTimeException e) {
                throw ApiProblem.of(HttpStatus.BAD_REQUEST,
                        Refusals.CODES.of("timezone", "timezone", "not a timezone (e.g. Asia/Shanghai)"));
            }
        }
        if (options.dateFormat() != null && !options.dateFormat().isBlank()) {
            try {
                java.time.format.DateTimeFormatter.ofPattern(options.dateFormat());
            } catch (IllegalArgumentException e) {
                throw ApiProblem.of(HttpStatus.BAD_REQUEST, Refusals.CODES.of("dateFormat", "dateFormat",
                        "not a date pattern (e.g. dd/MM/yyyy HH:mm)"));
            }
        }
        List<String> fields = fields(type, headers, request.mapping(), request.mappingName());
        boolean hasDefaultStore = options.storeCode() != null && !options.storeCode().isBlank();
        Columns columns = Columns.of(type, headers, fields, hasDefaultStore);
        if (type == ImportType.CUSTOMERS) {
            List<String> known = targetFields(type);
            List<ApiProblem.FieldError> unknown = columns.custom().keySet().stream()
                    .filter(k -> !known.contains(ImportType.CUSTOM_PREFIX + k))
                    .map(k -> Refusals.CODES.of("mapping." + ImportType.CUSTOM_PREFIX + k, "noSuchCustomField",
                            "no active custom field with this key"))
                    .toList();
            if (!unknown.isEmpty()) {
                throw ApiProblem.invalid(unknown);
            }
        }
        if (!warnings.isEmpty() && request.mapping() == null && request.mappingName() == null) {
            log.info("Import of {} has header warnings: {}", type.code(),
                    warnings.stream().map(ApiProblem.FieldError::reason).toList());
        }
        if (request.saveMappingAs() != null && !request.saveMappingAs().isBlank()) {
            saveMapping(type, request.saveMappingAs(), columns.asMap());
        }
        Prepared p = new Prepared();
        p.file = file.toAbsolutePath();
        p.type = type;
        p.columns = columns;
        p.options = options;
        p.storeScope = request.storeScope() == null ? null : Set.copyOf(request.storeScope());
        p.jobId = jobs.create(type, fileName, p.file.toString(), columns.asMap(), options,
                request.createdBy() == null ? "unknown" : request.createdBy());
        return p;
    }

    private void execute(Prepared p) {
        ImportRun.Progress throttled = throttled(p);
        try {
            oneAtATime.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            jobs.finish(p.jobId, ImportJob.FAILED, 0, 0, 0, 0, null, JobMessage.INTERRUPTED, Map.of());
            return;
        }
        long started = System.nanoTime();
        try (ImportJobs.Running _ = jobs.running(p.jobId)) {
            // Definitions read once per import, not once per row (a field defined mid-import applies to the next one).
            List<CustomField> definitions = customFields.definitions();
            ImportContext context = new ImportContext(p.options, code -> catalog.storeByCode(code)
                    .filter(s -> p.storeScope == null || p.storeScope.contains(s.id()))
                    .map(s -> s.timezone() == null ? defaultZone : s.timezone()),
                    values -> customFields.validate(values, false, definitions).errors(), java.time.ZonedDateTime.now(clock.withZone(defaultZone)));
            ErrorReport report = new ErrorReport(folder.resolve("job-" + p.jobId + "-errors.csv"), messages);
            ImportRun.Outcome o = new ImportRun(p.file, p.type, p.columns, context, report, throttled, catalog, profiles,
                    intake, tx, feed).run();
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Object> facts = new java.util.LinkedHashMap<>(o.facts());
            facts.put("seconds", Math.round(seconds * 10) / 10.0);
            facts.put("rowsPerSecond", seconds > 0 ? Math.round(o.totalRows() / seconds) : o.totalRows());
            jobs.finish(p.jobId, o.status(), o.totalRows(), o.processedRows(), o.applied(), o.errors(),
                    o.report() == null ? null : o.report().toString(), o.message(), facts);
        } catch (RuntimeException e) {
            log.error("Import job {} failed: {}", p.jobId, e.getClass().getName(), e);
            jobs.finish(p.jobId, ImportJob.FAILED, 0, 0, 0, 0, null,
                    JobMessage.FAILED_UNEXPECTEDLY, Map.of());
        } finally {
            oneAtATime.release();
        }
    }

    /** Writes progress to the job at most twice a second; echoes every report to the command line. */
    private ImportRun.Progress throttled(Prepared p) {
        long[] last = {0};
        return (status, total, processed, applied, errors, percent) -> {
            if (p.echo != null) {
                p.echo.report(status, total, processed, applied, errors, percent);
            }
            long now = System.nanoTime();
            if (now - last[0] > 500_000_000L) {
                last[0] = now;
                jobs.progress(p.jobId, status, total, processed, applied, errors, percent);
            }
        };
    }

    /** Stores known to the catalog, for the console's default-store choice. */
    public List<Store> stores() {
        return catalog.stores();
    }
}
