package dev.devtime.model;

/** WakaTime's ways of writing a duration: {@code 2 hrs 5 mins} and {@code 2:05}. */
public final class DurationFormat {

    private DurationFormat() {}

    public static String text(double seconds) {
        long totalMinutes = (long) (seconds / 60);
        long h = totalMinutes / 60;
        long m = totalMinutes % 60;
        if (h == 0 && m == 0) {
            long secs = (long) seconds;
            return secs == 1 ? "1 sec" : secs + " secs";
        }
        StringBuilder sb = new StringBuilder();
        if (h > 0) {
            sb.append(h).append(h == 1 ? " hr" : " hrs");
        }
        if (m > 0) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(m).append(m == 1 ? " min" : " mins");
        }
        return sb.toString();
    }

    public static String digital(double seconds) {
        long totalMinutes = (long) (seconds / 60);
        return String.format("%d:%02d", totalMinutes / 60, totalMinutes % 60);
    }
}
