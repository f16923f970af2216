using Egov.Steering.Decisions.V1;
using Egov.Steering.TestSupport;

namespace Egov.Steering.Decisions.Tests.Support;

/// <summary>What the tests do through a caller's client: record and issue a decision, wait for its outcome.</summary>
public static class DecisionsClientSteps
{
    public static async Task<Decision> DraftAndIssueAsync(this DecisionsService.DecisionsServiceClient client, Decision draft)
    {
        var created = await client.CreateDecisionAsync(new CreateDecisionRequest { Decision = draft });
        return await client.IssueDecisionAsync(new IssueDecisionRequest { Name = created.Name, Etag = created.Etag });
    }

    public static async Task<Decision> WaitForStateAsync(this DecisionsService.DecisionsServiceClient client, string name, DecisionState state)
    {
        Decision? decision = null;
        await Eventually.WaitUntilAsync(
            async () => (decision = await client.GetDecisionAsync(new GetDecisionRequest { Name = name })).State == state,
            $"{name} {state}");
        return decision!;
    }
}
