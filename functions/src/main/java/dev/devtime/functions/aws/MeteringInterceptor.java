package dev.devtime.functions.aws;

import java.util.List;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/** Feeds {@link Metering} from every SDK response: one request per call, and DynamoDB's consumed units. */
public final class MeteringInterceptor implements ExecutionInterceptor {

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Metering.countRequest(service + "." + operation);
        SdkResponse response = context.response();
        boolean write = WRITES.contains(operation);
        response.getValueForField("ConsumedCapacity", Object.class).ifPresent(c -> record(c, write));
    }

    private static final java.util.Set<String> WRITES =
            java.util.Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems");

    private static void record(Object capacity, boolean write) {
        if (capacity instanceof ConsumedCapacity c) {
            add(c, write);
        } else if (capacity instanceof List<?> list) {
            list.forEach(c -> record(c, write));
        }
    }

    /** DynamoDB Local, like DynamoDB for TOTAL, reports only {@code CapacityUnits}; the operation says which kind. */
    private static void add(ConsumedCapacity c, boolean write) {
        if (c.capacityUnits() == null) {
            return;
        }
        if (write) {
            Metering.addWrite(c.capacityUnits());
        } else {
            Metering.addRead(c.capacityUnits());
        }
    }
}
