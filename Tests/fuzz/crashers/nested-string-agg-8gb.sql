SELECT (SELECT string_agg((SELECT string_agg((SELECT string_agg((SELECT string_agg((SELECT string_agg((SELECT string_agg('%', '') FROM prices), '') FROM prices), '') FROM prices), '') FROM prices), '') FROM prices), '') FROM prices), (SELECT min((scratch."ticker" || scratch."fy_end_month")) FROM scratch), 1;
SELECT * FROM deals AS t1;
SELECT * FROM deals AS t2;
