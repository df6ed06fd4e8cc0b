package app.regulars.imports;

import app.regulars.catalog.ProductDraft;
import java.util.List;

/** One row of a product file, read into the catalog's draft. */
final class ProductRow {

    private ProductRow() {}

    static ProductDraft read(Cells cells, List<RowError> errors) {
        int before = errors.size();
        String sku = cells.required("sku");
        Long price = cells.cents("price");
        if (price != null && price < 0) {
            cells.fail("price", "negativePrice");
        }
        Boolean consumable = cells.flag("consumable");
        if (errors.size() > before) {
            return null;
        }
        return new ProductDraft(sku, cells.text("name"), cells.text("category"), cells.text("brand"), price, consumable);
    }
}
