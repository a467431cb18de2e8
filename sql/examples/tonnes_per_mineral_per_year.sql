-- question: How many tonnes of each mineral are committed per year?
select
    volume_schedule.mineral,
    volume_schedule.calendar_year,
    volume_schedule.tonnes,
    volume_schedule.bounds,
    volume_schedule.agreement_ids
from reporting.volume_schedule as volume_schedule
where volume_schedule.tonnes is not null
order by 1, 2
