using System.Collections.Concurrent;
using Egov.Steering.Testing.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>
/// A unary call whose client sent no deadline gets the default one (gRPC then cancels what it waits on); the health
/// check, answered from memory, keeps none: a timer per probe would bound no wait.
/// </summary>
public sealed class CallDeadlineTests
{
    [Fact]
    public async Task A_call_without_a_deadline_gets_the_default_one_and_the_health_check_none()
    {
        var timeouts = new ConcurrentQueue<(string Path, string Timeout)>();
        await using var host = await TestServiceHost.StartAsync(
            new Dictionary<string, string?> { ["Hosting:DefaultCallDeadline"] = "00:00:07" },
            afterDefaults: app => app.Use((context, next) =>
            {
                timeouts.Enqueue((context.Request.Path.Value!, context.Request.Headers["grpc-timeout"].ToString()));
                return next(context);
            }));

        var health = new Health.HealthClient(host.Channel);
        // Answered in front of the pipeline (HealthCheckAnswers): it never reaches the deadline's middleware.
        await health.CheckAsync(new HealthCheckRequest());
        await Assert.ThrowsAsync<RpcException>(() =>
            new ProbeService.ProbeServiceClient(host.Channel).FailAsync(new FailRequest { Failure = "not_found" }).ResponseAsync);
        // An unknown service is Grpc.AspNetCore's health service's to answer (NOT_FOUND), still without the default deadline.
        var unknown = new HealthCheckRequest { Service = "no-such-service" };
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(unknown).ResponseAsync)).StatusCode);
        await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(unknown, deadline: DateTime.UtcNow.AddMinutes(1)).ResponseAsync);

        Assert.Collection(
            timeouts,
            probe => Assert.Equal(("/egov.steering.testing.v1.ProbeService/Fail", "7000m"), probe),
            check => Assert.Equal(("/grpc.health.v1.Health/Check", ""), check),
            checkWithItsOwn => Assert.Matches("^[0-9]+[HMSmun]$", checkWithItsOwn.Timeout));
    }
}
