using System.Diagnostics;
using Egov.Steering.Messaging.Tracing;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

/// <summary>The trace context a message keeps: whatever trace state a caller sent, what is stored fits its column.</summary>
public sealed class TraceContextTests
{
    [Fact]
    public void A_trace_state_longer_than_512_characters_is_kept_to_its_leading_members_that_fit()
    {
        var members = Enumerable.Range(0, 40).Select(i => $"vendor{i:D2}=" + new string('v', 20)).ToList(); // 29 characters each
        using var activity = new Activity("call").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = string.Join(',', members);

        var kept = TraceContext.Current!.Value.TraceState;

        Assert.InRange(kept.Length, 1, TraceContext.MaxTraceStateLength);
        Assert.Equal(members.Take(17), kept.Split(','));
    }

    [Theory]
    [InlineData("")]
    [InlineData("congo=t61rcWkgMzE")]
    public void A_trace_state_that_fits_is_kept_as_it_is(string traceState) => Assert.Equal(traceState, TraceContext.Bounded(traceState));
}
