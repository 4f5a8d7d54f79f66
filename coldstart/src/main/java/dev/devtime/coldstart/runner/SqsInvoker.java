package dev.devtime.coldstart.runner;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A one-message SQS event as Lambda's event source mapping delivers it. Properties: {@code body},
 * {@code messageId}, {@code queueArn}. The result is the number of reported batch item failures.
 */
final class SqsInvoker {

    private SqsInvoker() {}

    @SuppressWarnings("unchecked")
    static String invoke(Object handler, Properties p) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(p.getProperty("messageId"));
        m.setReceiptHandle("coldstart");
        m.setBody(p.getProperty("body"));
        m.setEventSource("aws:sqs");
        m.setEventSourceArn(p.getProperty("queueArn"));
        m.setAwsRegion("us-east-1");
        m.setAttributes(
                Map.of("ApproximateReceiveCount", "1", "SentTimestamp", Long.toString(System.currentTimeMillis())));
        m.setMessageAttributes(Map.of());
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(m));
        Object r = ((RequestHandler<SQSEvent, Object>) handler).handleRequest(event, new RunnerContext());
        return r instanceof SQSBatchResponse b
                ? "failures=" + b.getBatchItemFailures().size()
                : String.valueOf(r);
    }
}
