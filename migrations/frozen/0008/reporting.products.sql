create or replace view reporting.products as

with

products as (

    select * from core.product

),

product_aliases as (

    select * from core.product_alias

),

volumes as (

    select * from core.volume

),

aliases_per_product as (

    select
        product_aliases.product_id,
        string_agg(
            product_aliases.alias, ', ' order by product_aliases.alias
        ) as aliases
    from product_aliases
    group by 1

),

figures_per_product as (

    select
        volumes.product_id,
        count(*) as volume_count,
        count(distinct volumes.agreement_id) as agreement_count
    from volumes
    where volumes.product_id is not null
    group by 1

),

final as (

    select
        products.product_id,
        products.name_en,
        products.name_ko,
        products.mineral_id as mineral,
        products.contained_factor,
        products.lce_factor,
        products.factor_source,
        products.contained_factor is not null as has_contained_factor,
        aliases_per_product.aliases,
        coalesce(figures_per_product.volume_count, 0) as volume_count,
        coalesce(figures_per_product.agreement_count, 0) as agreement_count
    from products
    left join aliases_per_product
        on products.product_id = aliases_per_product.product_id
    left join figures_per_product
        on products.product_id = figures_per_product.product_id

)

select * from final;

comment on view reporting.products is
'Products as traded (lithium carbonate, lithium hydroxide, spodumene concentrate, NdPr oxide, permanent magnets, cathode material) with their mineral and, where a documented factor exists, the conversion to contained mineral and to lithium carbonate equivalent (LCE). A figure about a product counts as tonnes of its mineral only through contained_factor: tonnes of compound are never added to tonnes of metal.';

comment on column reporting.products.product_id is
'Canonical product slug, e.g. lithium_carbonate.';
comment on column reporting.products.name_en is
'English name.';
comment on column reporting.products.name_ko is
'Korean name.';
comment on column reporting.products.mineral is
'The mineral the product contains (see reporting.mineral_summary).';
comment on column reporting.products.contained_factor is
'Tonnes of contained mineral per tonne of product; null when no documented factor exists (grade or recipe varies).';
comment on column reporting.products.lce_factor is
'Tonnes of lithium carbonate equivalent per tonne of product (lithium products); null when none is documented.';
comment on column reporting.products.factor_source is
'Where the factors come from (stoichiometry with the IUPAC standard atomic weights).';
comment on column reporting.products.has_contained_factor is
'True when figures about the product are converted to tonnes of contained mineral.';
comment on column reporting.products.aliases is
'Every spelling of the product seen in sources (comma-separated, alphabetical).';
comment on column reporting.products.volume_count is
'Figures (reporting.volumes rows) stated about the product.';
comment on column reporting.products.agreement_count is
'Distinct agreements with figures about the product.';
