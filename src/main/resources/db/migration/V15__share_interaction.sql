-- Sharing (a product, a page or a campaign to friends) is an interaction like the others: it shows on
-- the timeline, rules count it (events("share", 30d)) and earning rules may reward it (issue 4).
alter table interaction drop constraint interaction_type_check;
alter table interaction add constraint interaction_type_check check (type in ('visit', 'check_in', 'page_view',
    'favourite', 'add_to_cart', 'search', 'review', 'survey_answer', 'share', 'message_sent', 'message_clicked',
    'coupon_issued', 'coupon_redeemed'));
