package app.regulars.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises the column headers people actually use, in Chinese and English, whatever their case and
 * spacing ("手机号", "Mobile", "Customer ID", "金额/实付"). A column it cannot place stays unmapped
 * (ignored) until the user chooses a field for it.
 */
final class HeaderRecognition {

    private static final Map<String, String> CUSTOMERS = synonyms(
            "phone", "手机号 手机 手机号码 电话 电话号码 联系电话 联系方式 mobile phone phoneno phonenumber mobilephone mobileno tel telephone cellphone",
            "card_no", "会员卡号 卡号 会员号 会员编号 会员卡 card cardno cardnumber membercard memberno membercardno membershipno",
            "name", "姓名 名字 顾客姓名 会员姓名 客户姓名 name customername fullname membername",
            "gender", "性别 gender sex",
            "birthday", "生日 出生日期 出生年月日 birthday birthdate dateofbirth dob",
            "city", "城市 所在城市 city",
            "region", "地区 区域 省份 省 所在地区 region province state",
            "home_store", "所属门店 归属门店 常去门店 homestore",
            "registration_store", "注册门店 开卡门店 入会门店 registrationstore registeredstore signupstore",
            "registration_channel", "注册渠道 来源渠道 入会渠道 渠道 来源 registrationchannel channel source",
            "registered_at", "注册时间 注册日期 开卡时间 开卡日期 入会时间 入会日期 加入时间 registeredat registrationdate registrationtime signupdate joined joindate membersince",
            "external_id", "客户编号 顾客编号 客户id 顾客id 外部编号 外部id customerid customerno customernumber externalid clientid",
            "wechat_openid", "openid 微信openid wechatopenid");

    private static final Map<String, String> PRODUCTS = synonyms(
            "sku", "商品编码 货号 商品货号 商品编号 条码 商品条码 sku skucode stockcode itemcode itemno productcode productid barcode",
            "name", "商品名称 品名 名称 商品名 商品 name productname description itemname title",
            "category", "分类 类别 品类 商品分类 类目 category categorycode",
            "brand", "品牌 brand",
            "price", "价格 单价 售价 零售价 标价 price unitprice retailprice listprice",
            "consumable", "消耗品 易耗品 是否消耗品 复购品 consumable");

    private static final Map<String, String> RECEIPTS = synonyms(
            "receipt_no", "订单号 小票号 单号 订单编号 小票编号 流水号 交易号 单据号 invoice invoiceno invoicenumber receipt receiptno receiptnumber orderid orderno ordernumber transactionid",
            "store", "门店 门店编码 门店代码 门店编号 店铺 店铺编码 store storecode storeid shop shopcode",
            "purchased_at", "下单时间 消费时间 日期 交易时间 购买时间 销售时间 消费日期 交易日期 时间 invoicedate date orderdate purchasedat purchasedate purchasetime datetime time transactiondate",
            "phone", "手机号 手机 手机号码 电话 会员手机 会员手机号 联系电话 mobile phone phonenumber tel",
            "card_no", "会员卡号 卡号 会员号 会员编号 card cardno cardnumber membercard memberno",
            "external_id", "客户编号 顾客编号 客户id 顾客id customerid customerno customernumber externalid clientid",
            "sku", "商品编码 货号 商品货号 商品编号 条码 商品条码 sku skucode stockcode itemcode productcode barcode",
            "name", "商品名称 品名 商品名 商品 description productname itemname",
            "quantity", "数量 件数 购买数量 销售数量 qty quantity",
            "unit_price", "单价 价格 售价 零售价 price unitprice",
            "discount", "优惠 优惠金额 折扣金额 折扣 让利 discount discountamount",
            "amount", "消费金额 金额 实付金额 实付 实收 实收金额 成交金额 小计 amount total linetotal paid paidamount",
            "coupon_code", "优惠券 券码 优惠券码 优惠券号 coupon couponcode",
            "channel", "渠道 销售渠道 channel saleschannel",
            "payment_method", "支付方式 付款方式 支付 payment paymentmethod paymenttype",
            "staff", "导购 收银员 店员 员工 营业员 staff staffcode cashier salesperson",
            "kind", "类型 单据类型 交易类型 kind type",
            "original_receipt_no", "原单号 原订单号 原小票号 originalreceipt originalreceiptno originalinvoice",
            "reason", "退货原因 退款原因 原因 reason reasoncode");

    private HeaderRecognition() {}

    private static Map<String, String> synonyms(String... fieldThenWords) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < fieldThenWords.length; i += 2) {
            for (String word : fieldThenWords[i + 1].split(" ")) {
                out.putIfAbsent(normalise(word), fieldThenWords[i]);
            }
        }
        return Map.copyOf(out);
    }

    /** Lower case without spaces, underscores, dashes, dots or brackets (half- and full-width). */
    static String normalise(String header) {
        if (header == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(header.length());
        for (char c : header.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isWhitespace(c) || c == '_' || c == '-' || c == '.' || c == '(' || c == ')'
                    || c == '（' || c == '）' || c == ':' || c == '：' || c == '*' || c == '\u3000' || c == '\uFEFF') {
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The field each header maps to (null when unrecognised); a field is given to one column only. */
    static List<String> recognise(ImportType type, List<String> headers) {
        Map<String, String> words = words(type);
        List<String> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (String header : headers) {
            String field = field(words, header).filter(taken::add).orElse(null);
            out.add(field);
        }
        return out;
    }

    private static Optional<String> field(Map<String, String> words, String header) {
        if (header == null || header.contains(" #")) {
            return Optional.empty(); // ambiguous merged header: the user must decide
        }
        String whole = words.get(normalise(header));
        if (whole != null) {
            return Optional.of(whole);
        }
        int slash = header.lastIndexOf('/');
        if (slash > 0) {
            String sub = words.get(normalise(header.substring(slash + 1)));
            if (sub != null) {
                return Optional.of(sub);
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> words(ImportType type) {
        return switch (type) {
            case CUSTOMERS -> CUSTOMERS;
            case PRODUCTS -> PRODUCTS;
            case RECEIPTS -> RECEIPTS;
        };
    }

    /** The import type the headers suggest: receipts need a receipt number, products a SKU, customers an identity. */
    static Optional<ImportType> guessType(List<String> headers) {
        List<String> asReceipt = recognise(ImportType.RECEIPTS, headers);
        if (asReceipt.contains("receipt_no") && (asReceipt.contains("sku") || asReceipt.contains("amount"))) {
            return Optional.of(ImportType.RECEIPTS);
        }
        List<String> asCustomer = recognise(ImportType.CUSTOMERS, headers);
        List<String> asProduct = recognise(ImportType.PRODUCTS, headers);
        boolean identity = asCustomer.contains("phone") || asCustomer.contains("card_no")
                || asCustomer.contains("wechat_openid") || asCustomer.contains("external_id");
        if (asProduct.contains("sku") && !identity) {
            return Optional.of(ImportType.PRODUCTS);
        }
        if (identity) {
            return Optional.of(ImportType.CUSTOMERS);
        }
        return Optional.empty();
    }
}
