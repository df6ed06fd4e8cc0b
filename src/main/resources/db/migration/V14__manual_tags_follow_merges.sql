-- Manual tags now follow a merge to the survivor (TagsFollowMerges, with tag.added / tag.removed events).
-- Customers merged before this version still hold theirs: fold them into the survivors once, keeping the
-- earliest time each tag was added. No feed events: these merges are history, and announcing them now
-- would tell journeys of changes that happened long ago. A merge repoints earlier merges to the final
-- survivor, so merged_into is one step.
insert into customer_tag (tag_id, customer_id, added_at)
select ct.tag_id, c.merged_into, min(ct.added_at)
from customer_tag ct
join tag t on t.id = ct.tag_id
join customer c on c.id = ct.customer_id
where c.merged_into is not null and t.rule_json is null
group by ct.tag_id, c.merged_into
on conflict (tag_id, customer_id) do update set added_at = least(customer_tag.added_at, excluded.added_at);

delete from customer_tag ct
using tag t, customer c
where t.id = ct.tag_id and c.id = ct.customer_id and c.merged_into is not null and t.rule_json is null;
