-- Within each district and period with cases, the band shares of cases and of loss each sum to 1.
with totals as (
    select district_code, period, sum(cases) as cases, sum(case_share) as case_shares,
        sum(loss_share) as loss_shares, sum(loss_amount) as loss_amount
    from {{ ref('case_loss_bands') }}
    group by district_code, period
)

select *
from totals
where cases > 0
    and (abs(case_shares - 1) > 0.000001 or (loss_amount > 0 and abs(loss_shares - 1) > 0.000001))
