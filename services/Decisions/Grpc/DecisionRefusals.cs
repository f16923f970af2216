using Egov.Steering.Decisions.Domain;
using Egov.Steering.ServiceDefaults.Errors;

namespace Egov.Steering.Decisions.Grpc;

/// <summary>The domain's refusals (<see cref="DecisionRuleException"/>) as the API's FAILED_PRECONDITION.</summary>
internal static class DecisionRefusals
{
    public static async Task<T> MapAsync<T>(Task<T> call)
    {
        try
        {
            return await call;
        }
        catch (DecisionRuleException refusal)
        {
            throw new PreconditionFailedException(
                refusal.Reason,
                refusal.Message,
                refusal.Violations.Select(violation => new PreconditionViolation(violation.Type, violation.Subject, violation.Description)).ToList());
        }
    }
}
