package app.regulars.console;

import app.regulars.catalog.Catalog;
import app.regulars.catalog.Category;
import app.regulars.catalog.CategoryDraft;
import app.regulars.catalog.ProductDraft;
import app.regulars.catalog.ProductPage;
import app.regulars.catalog.Sku;
import app.regulars.platform.ApiProblem;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

/** The category tree with its repurchase and care cycles, and the product list with search and paging. */
@Controller
class ProductsPages {

    static final int PAGE_SIZE = 20;

    record ProductForm(String skuCode, String name, String categoryCode, String brand, String price, String consumable) {

        static ProductForm empty() {
            return new ProductForm("", "", "", "", "", "true");
        }

        static ProductForm of(Sku s) {
            return new ProductForm(s.code(), s.name(), s.categoryCode() == null ? "" : s.categoryCode(),
                    s.brand() == null ? "" : s.brand(), BigDecimal.valueOf(s.priceCents(), 2).toPlainString(),
                    String.valueOf(s.consumable()));
        }
    }

    record CategoryForm(String code, String name, String parentCode, String repurchaseCycleDays, String careCycleDays) {

        static CategoryForm empty() {
            return new CategoryForm("", "", "", "", "");
        }
    }

    private final Catalog catalog;
    private final MessageSource messages;

    ProductsPages(Catalog catalog, MessageSource messages) {
        this.catalog = catalog;
        this.messages = messages;
    }

    @GetMapping("/products")
    String products(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "0") int page,
                    @RequestParam(required = false) String sku, Model model) {
        Sku editing = sku == null ? null : catalog.skuByCode(sku).orElse(null);
        return page(model, q, page, editing, editing == null ? ProductForm.empty() : ProductForm.of(editing),
                CategoryForm.empty(), Map.of(), Map.of(), null);
    }

    @PostMapping("/products")
    String saveProduct(ProductForm form, Model model, Locale locale) {
        ChainWideOnly.require();
        CatalogFormErrors errors = new CatalogFormErrors(messages, locale);
        Long cents = errors.cents("priceCents", form.price());
        if (errors.isEmpty()) {
            try {
                catalog.upsertProducts(List.of(new ProductDraft(form.skuCode(), form.name(),
                        form.categoryCode() == null ? "" : form.categoryCode(), form.brand() == null ? "" : form.brand(),
                        cents, !"false".equals(form.consumable()))));
                // The catalog reports a batch path; the form has one product.
                String code = form.skuCode().strip();
                return "redirect:/products?sku=" + UriUtils.encodeQueryParam(code, "UTF-8") + "&q="
                        + UriUtils.encodeQueryParam(code, "UTF-8") + "&saved=product";
            } catch (ApiProblem problem) {
                problem.errors().forEach(e -> errors.add(e.field().replaceFirst("^products\\[\\d+]\\.", ""), e.reason()));
            }
        }
        Sku editing = form.skuCode() == null ? null : catalog.skuByCode(form.skuCode().strip()).orElse(null);
        return page(model, "", 0, editing, form, CategoryForm.empty(), errors.byField(), Map.of(), null);
    }

    @PostMapping("/products/categories")
    String saveCategory(CategoryForm form, Model model, Locale locale) {
        ChainWideOnly.require();
        CatalogFormErrors errors = new CatalogFormErrors(messages, locale);
        Integer repurchase = errors.integer("repurchaseCycleDays", form.repurchaseCycleDays());
        Integer care = errors.integer("careCycleDays", form.careCycleDays());
        if (errors.isEmpty()) {
            try {
                catalog.upsertCategory(new CategoryDraft(form.code(), form.name(), form.parentCode(), repurchase, care));
                return "redirect:/products?saved=category#categories";
            } catch (ApiProblem problem) {
                errors.addAll(problem);
            }
        }
        return page(model, "", 0, null, ProductForm.empty(), form, Map.of(), errors.byField(), form.code());
    }

    private String page(Model model, String q, int page, Sku editing, ProductForm productForm, CategoryForm categoryForm,
                        Map<String, String> productErrors, Map<String, String> categoryErrors, String failedCategory) {
        List<Category> categories = catalog.categories();
        ProductPage products = catalog.products(q, page, PAGE_SIZE);
        model.addAttribute("categories", categories);
        model.addAttribute("categoryNames", categories.stream()
                .collect(java.util.stream.Collectors.toMap(Category::code, Category::name)));
        model.addAttribute("products", products);
        model.addAttribute("q", q);
        model.addAttribute("editing", editing);
        model.addAttribute("productForm", productForm);
        model.addAttribute("categoryForm", categoryForm);
        model.addAttribute("productErrors", productErrors);
        model.addAttribute("categoryErrors", categoryErrors);
        // An error in an existing row's inline form is shown under the tree, naming that category.
        model.addAttribute("failedCategory", failedCategory);
        return "catalog/products";
    }
}
