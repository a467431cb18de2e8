create or replace function mart.refresh_parts(agreement_ids text[])
returns void
language plpgsql
as $$
-- Store the parts of the given agreements (null: of every agreement) as
-- intermediate.volume_schedule_parts and intermediate.mineral_summary_parts
-- compute them: one delete and one insert per part table, in sets.
begin
    if agreement_ids is null then
        truncate mart.volume_schedule_part, mart.mineral_summary_part;
        insert into mart.volume_schedule_part
        select * from intermediate.volume_schedule_parts;
        insert into mart.mineral_summary_part
        select * from intermediate.mineral_summary_parts;
        return;
    end if;
    delete from mart.volume_schedule_part as p
    where p.agreement_id = any(agreement_ids);
    insert into mart.volume_schedule_part
    select * from intermediate.volume_schedule_parts as v
    where v.agreement_id = any(agreement_ids);
    delete from mart.mineral_summary_part as p
    where p.agreement_id = any(agreement_ids);
    insert into mart.mineral_summary_part
    select * from intermediate.mineral_summary_parts as v
    where v.agreement_id = any(agreement_ids);
end
$$;
