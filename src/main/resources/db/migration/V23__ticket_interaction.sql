-- An after-sales ticket (a complaint, a repair or a service request opened for a customer) is an
-- interaction: it shows on the timeline and rules count it (events("ticket", 90d) >= 1), so a journey
-- can leave a customer with an open complaint out of a promotion.
alter table interaction drop constraint interaction_type_check;
alter table interaction add constraint interaction_type_check check (type in ('visit', 'check_in', 'page_view',
    'favourite', 'add_to_cart', 'search', 'review', 'survey_answer', 'share', 'message_sent', 'message_clicked',
    'coupon_issued', 'coupon_redeemed', 'ticket'));
