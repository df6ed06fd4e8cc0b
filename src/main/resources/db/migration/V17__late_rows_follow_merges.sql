-- Receipts, lines and interactions that a till committed for a customer just after that customer was
-- merged away still named the merged customer: the merge had moved only the rows it saw. Intake now
-- holds its customers until it commits (Customers.holdLiving), so no new ones arise; these move to the
-- survivor as the merge would have moved them. Their stats already count for the survivor (the
-- customer-stats consumer follows customer_stats_redirect), and merged_into is always one step.
update receipt r set customer_id = c.merged_into
from customer c where c.merged_into is not null and r.customer_id = c.id;

update receipt_line l set customer_id = c.merged_into
from customer c where c.merged_into is not null and l.customer_id = c.id;

update interaction i set customer_id = c.merged_into
from customer c where c.merged_into is not null and i.customer_id = c.id;
