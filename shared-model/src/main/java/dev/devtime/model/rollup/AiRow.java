package dev.devtime.model.rollup;

/** AI usage summed for one tool, project and model on one day. */
public record AiRow(
        String tool,
        String project,
        String model,
        long tokensIn,
        long tokensOut,
        long cacheCreationTokens,
        long cacheReadTokens,
        long prompts,
        long aiLineChanges,
        long humanLineChanges) {

    public AiRow plus(AiRow o) {
        return new AiRow(
                tool,
                project,
                model,
                tokensIn + o.tokensIn,
                tokensOut + o.tokensOut,
                cacheCreationTokens + o.cacheCreationTokens,
                cacheReadTokens + o.cacheReadTokens,
                prompts + o.prompts,
                aiLineChanges + o.aiLineChanges,
                humanLineChanges + o.humanLineChanges);
    }
}
