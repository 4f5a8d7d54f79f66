package dev.devtime.local;

import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Creates a queue the CDK app creates in AWS, or brings an existing one's attributes up to date. */
final class QueueSetup {

    private QueueSetup() {}

    static String ensure(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        String url;
        try {
            url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        }
        String u = url;
        if (!attributes.isEmpty()) {
            sqs.setQueueAttributes(b -> b.queueUrl(u).attributes(attributes));
        }
        return url;
    }
}
