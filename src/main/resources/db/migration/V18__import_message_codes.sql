-- A job's message by code (a key of the imports messages), so the console can say it in its user's
-- language; `message` keeps the English the API and the command line give. Null for older jobs.
alter table import_job add column message_code text;
