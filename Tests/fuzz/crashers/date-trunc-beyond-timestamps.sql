DELETE FROM deals WHERE date_trunc('month', CAST((strftime(last_day(CAST(deals."announced" AS DATE)), '%j') || coalesce(coalesce(DATE '1970-01-01', deals."announced"), deals."announced")) AS DATE)) IN (SELECT "announced" FROM deals);
SELECT * FROM deals AS t1;
SELECT * FROM deals AS t2;
