package app.regulars.catalog;

import java.time.Instant;

/**
 * Instants of new moon after Jean Meeus, <i>Astronomical Algorithms</i> (2nd ed.), chapter 49:
 * accurate to well under a minute for this century. Used to check ICU's Chinese calendar, whose
 * own moon is off by minutes — enough to put a month start on the wrong side of Beijing midnight
 * (Spring Festival 2027: the new moon is at 23:56 on 6 February, ICU says the 7th).
 */
final class NewMoons {

    private NewMoons() {}

    /** The new moon closest to {@code near}. */
    static Instant closestTo(Instant near) {
        double yearsSince2000 = (near.getEpochSecond() - 946_728_000L) / (365.25 * 86_400);
        long k = Math.round(yearsSince2000 * 12.3685);
        return instant(k);
    }

    /** The k-th new moon counted from the one of 6 January 2000. */
    static Instant instant(long k) {
        double t = k / 1236.85;
        double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
        double jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t2 - 0.000000150 * t3 + 0.00000000073 * t4;
        double e = 1 - 0.002516 * t - 0.0000074 * t2;
        double m = rad(2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3);
        double mm = rad(201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4);
        double f = rad(160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4);
        double om = rad(124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3);
        double correction = -0.40720 * sin(mm)
                + 0.17241 * e * sin(m)
                + 0.01608 * sin(2 * mm)
                + 0.01039 * sin(2 * f)
                + 0.00739 * e * sin(mm - m)
                - 0.00514 * e * sin(mm + m)
                + 0.00208 * e * e * sin(2 * m)
                - 0.00111 * sin(mm - 2 * f)
                - 0.00057 * sin(mm + 2 * f)
                + 0.00056 * e * sin(2 * mm + m)
                - 0.00042 * sin(3 * mm)
                + 0.00042 * e * sin(m + 2 * f)
                + 0.00038 * e * sin(m - 2 * f)
                - 0.00024 * e * sin(2 * mm - m)
                - 0.00017 * sin(om)
                - 0.00007 * sin(mm + 2 * m)
                + 0.00004 * sin(2 * mm - 2 * f)
                + 0.00004 * sin(3 * m)
                + 0.00003 * sin(mm + m - 2 * f)
                + 0.00003 * sin(2 * mm + 2 * f)
                - 0.00003 * sin(mm + m + 2 * f)
                + 0.00003 * sin(mm - m + 2 * f)
                - 0.00002 * sin(mm - m - 2 * f)
                - 0.00002 * sin(3 * mm + m)
                + 0.00002 * sin(4 * mm);
        double[][] planetary = {
                {299.77, 0.107408, 0.000325}, {251.88, 0.016321, 0.000165}, {251.83, 26.651886, 0.000164},
                {349.42, 36.412478, 0.000126}, {84.66, 18.206239, 0.000110}, {141.74, 53.303771, 0.000062},
                {207.14, 2.453732, 0.000060}, {154.84, 7.306860, 0.000056}, {34.52, 27.261239, 0.000047},
                {207.19, 0.121824, 0.000042}, {291.34, 1.844379, 0.000040}, {161.72, 24.198154, 0.000037},
                {239.56, 25.513099, 0.000035}, {331.55, 3.592518, 0.000023}};
        for (int i = 0; i < planetary.length; i++) {
            double angle = planetary[i][0] + planetary[i][1] * k - (i == 0 ? 0.009173 * t2 : 0);
            correction += planetary[i][2] * sin(rad(angle));
        }
        double jdTerrestrial = jde + correction;
        double deltaTSeconds = deltaT(2000 + k / 12.3685);
        double unixSeconds = (jdTerrestrial - 2440587.5) * 86_400 - deltaTSeconds;
        return Instant.ofEpochSecond(Math.round(unixSeconds));
    }

    /** Terrestrial minus universal time, in seconds (Espenak and Meeus polynomials, 1900–2150). */
    static double deltaT(double year) {
        if (year < 1920) {
            double t = year - 1900;
            return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t - 0.000197 * t * t * t * t;
        }
        if (year < 1941) {
            double t = year - 1920;
            return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
        }
        if (year < 1961) {
            double t = year - 1950;
            return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
        }
        if (year < 1986) {
            double t = year - 1975;
            return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
        }
        if (year < 2005) {
            double t = year - 2000;
            return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t + 0.000651814 * t * t * t * t
                    + 0.00002373599 * t * t * t * t * t;
        }
        if (year < 2050) {
            double t = year - 2000;
            return 62.92 + 0.32217 * t + 0.005589 * t * t;
        }
        double u = (year - 1820) / 100;
        return -20 + 32 * u * u - 0.5628 * (2150 - year);
    }

    private static double rad(double degrees) {
        return Math.toRadians(degrees % 360);
    }

    private static double sin(double radians) {
        return Math.sin(radians);
    }
}
