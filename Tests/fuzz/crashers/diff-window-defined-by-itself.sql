SELECT count(*) OVER w FROM (VALUES (1), (2)) t(a) WINDOW w AS (w);
