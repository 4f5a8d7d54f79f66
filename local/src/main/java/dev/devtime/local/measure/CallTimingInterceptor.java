package dev.devtime.local.measure;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Times every SDK call of the local stack's clients into {@link HandlerTimings}, retries included. */
public final class CallTimingInterceptor implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("devtime.callStarted");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            HandlerTimings.recordCall(
                    attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                            + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    System.nanoTime() - started);
        }
    }
}
