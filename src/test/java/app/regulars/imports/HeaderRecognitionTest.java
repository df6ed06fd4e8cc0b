package app.regulars.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderRecognitionTest {

    @Test
    void recognisesChineseAndEnglishHeadersWhateverTheirCaseAndSpacing() {
        assertThat(HeaderRecognition.recognise(ImportType.CUSTOMERS,
                List.of("手机号", " Card No ", "姓名", "性别", "出生日期", "Customer ID", "鞋码")))
                .containsExactly("phone", "card_no", "name", "gender", "birthday", "external_id", null);
        assertThat(HeaderRecognition.recognise(ImportType.RECEIPTS,
                List.of("订单号", "门店编码", "下单时间", "手机", "商品编码", "数量", "单价", "实付金额")))
                .containsExactly("receipt_no", "store", "purchased_at", "phone", "sku", "quantity", "unit_price", "amount");
    }

    @Test
    void recognisesTheOnlineRetailColumns() {
        List<String> headers = List.of("Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price",
                "Customer ID", "Country");
        assertThat(HeaderRecognition.recognise(ImportType.RECEIPTS, headers))
                .containsExactly("receipt_no", "sku", "name", "quantity", "purchased_at", "unit_price", "external_id", null);
        assertThat(HeaderRecognition.guessType(headers)).contains(ImportType.RECEIPTS);
    }

    @Test
    void aFieldIsGivenToTheFirstColumnThatClaimsIt() {
        assertThat(HeaderRecognition.recognise(ImportType.CUSTOMERS, List.of("手机", "电话")))
                .containsExactly("phone", null);
    }

    @Test
    void guessesTheTypeFromTheHeaders() {
        assertThat(HeaderRecognition.guessType(List.of("手机号", "姓名"))).contains(ImportType.CUSTOMERS);
        assertThat(HeaderRecognition.guessType(List.of("货号", "品名", "售价"))).contains(ImportType.PRODUCTS);
        assertThat(HeaderRecognition.guessType(List.of("小票号", "商品编码", "数量"))).contains(ImportType.RECEIPTS);
        assertThat(HeaderRecognition.guessType(List.of("foo", "bar"))).isEmpty();
    }
}
