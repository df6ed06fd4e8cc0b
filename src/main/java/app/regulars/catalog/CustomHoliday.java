package app.regulars.catalog;

import java.time.LocalDate;

/** A chain's own holiday (anniversary sale, local fair), upserted by code and date. */
public record CustomHoliday(String code, String nameZh, String nameEn, LocalDate date, Integer windowBefore,
                            Integer windowAfter) {}
