package app.regulars.demo;

import app.regulars.purchases.ReceiptDraft;
import java.util.List;

/** One generated customer with all their receipts (sales and refunds), oldest first. */
record Shopper(DemoCustomer customer, List<ReceiptDraft> receipts) {}
