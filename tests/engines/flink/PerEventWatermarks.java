package course.engines;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.tuple.Tuple;

/**
 * Flink's bounded-out-of-orderness watermark (max event time - delay - 1 ms), emitted after every
 * event instead of on the periodic timer, so that a test knows exactly which watermark each event
 * meets. The formula is the one of Flink's own BoundedOutOfOrdernessWatermarks.
 */
public final class PerEventWatermarks<T> implements WatermarkGenerator<T> {
    private final long delay;
    private long maxTimestamp;

    private PerEventWatermarks(long delay) {
        this.delay = delay;
        this.maxTimestamp = Long.MIN_VALUE + delay + 1;
    }

    /** A strategy for PyFlink: WatermarkStrategy(PerEventWatermarks.boundedOutOfOrderness(ms)). */
    public static <T> WatermarkStrategy<T> boundedOutOfOrderness(long delayMillis) {
        return WatermarkStrategy.forGenerator(context -> new PerEventWatermarks<T>(delayMillis));
    }

    /** The same, for tuples whose third field is the event time in milliseconds. */
    public static WatermarkStrategy<Tuple> onThirdField(long delayMillis) {
        return PerEventWatermarks.<Tuple>boundedOutOfOrderness(delayMillis)
                .withTimestampAssigner((event, previous) -> event.<Long>getField(2));
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        output.emitWatermark(new Watermark(maxTimestamp - delay - 1));
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {}
}
