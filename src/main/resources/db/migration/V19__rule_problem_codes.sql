-- What the last evaluation found wrong with a rule, as a rule message (code and arguments, see
-- RuleMessage), so the console can say in the reader's language what only the engine sees; `problem`
-- keeps the English the API gives. Null for problems recorded before, which are said as recorded.
alter table tag add column problem_message jsonb;
alter table segment add column problem_message jsonb;
