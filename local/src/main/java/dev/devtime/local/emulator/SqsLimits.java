package dev.devtime.local.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * SQS's message size limit, which ElasticMQ does not enforce: a message, and all messages of one
 * SendMessageBatch together, of at most 256 KiB (body plus attributes), refused as SQS refuses them.
 * On the local stack's SQS client, so every send the handlers make is held to it.
 */
public final class SqsLimits implements ExecutionInterceptor {

    public static final int MAX_MESSAGE_BYTES = 256 * 1024;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof SendMessageRequest r) {
            long size = size(r.messageBody(), r.messageAttributes());
            if (size > MAX_MESSAGE_BYTES) {
                throw refused(
                        "InvalidParameterValue",
                        "One or more parameters are invalid. Reason: Message must be shorter than " + MAX_MESSAGE_BYTES
                                + " bytes.");
            }
        } else if (context.request() instanceof SendMessageBatchRequest r) {
            long total = 0;
            for (SendMessageBatchRequestEntry e : r.entries()) {
                total += size(e.messageBody(), e.messageAttributes());
            }
            if (total > MAX_MESSAGE_BYTES) {
                throw refused(
                        "AWS.SimpleQueueService.BatchRequestTooLong",
                        "Batch requests cannot be longer than " + MAX_MESSAGE_BYTES + " bytes. You have sent " + total
                                + " bytes.");
            }
        }
    }

    static long size(String body, Map<String, MessageAttributeValue> attributes) {
        long n = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, MessageAttributeValue> a : attributes.entrySet()) {
            n += utf8(a.getKey())
                    + utf8(a.getValue().dataType())
                    + utf8(a.getValue().stringValue())
                    + (a.getValue().binaryValue() == null
                            ? 0
                            : a.getValue().binaryValue().asByteArray().length);
        }
        return n;
    }

    private static long utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static SqsException refused(String code, String message) {
        return (SqsException) SqsException.builder()
                .statusCode(400)
                .message(message)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .serviceName("Sqs")
                        .build())
                .build();
    }
}
