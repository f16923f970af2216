using Egov.Steering.Membership.Tests.Grpc;
using Egov.Steering.Membership.V1;
using Egov.Steering.TestSupport;
using StackExchange.Redis;

namespace Egov.Steering.Membership.Tests.Views;

/// <summary>
/// Redis is an accelerator: too slow to answer, or absent, when the service starts, the service still starts (at once:
/// it never waits for Redis), serves the views from the database, and caches them in Redis once Redis answers.
/// Before, a SUBSCRIBE slower than 5 s threw out of the view cache's constructor and the service stopped.
/// </summary>
public sealed class RedisFaultTests
{
    private const string Committee = "committees/bcd-gia-lai-2025";

    [Fact]
    public async Task A_Redis_too_slow_to_answer_at_start_up_does_not_stop_the_service()
    {
        var redis = System.Net.IPEndPoint.Parse(TestInfrastructure.RedisConfiguration);
        await using var proxy = new HoldingTcpProxy(redis.Address.ToString(), redis.Port, held: true);
        var prefix = $"test:views:{Guid.NewGuid():N}:";
        var service = new RedisCachedMembership($"127.0.0.1:{proxy.Port}", prefix);
        await service.InitializeAsync();
        try
        {
            await AssertServedAsync(service);
            Assert.Empty(await KeysAsync(TestInfrastructure.RedisConfiguration, prefix));

            proxy.Release();

            await Eventually.WaitUntilAsync(
                async () => await AssertServedAsync(service) && (await KeysAsync(TestInfrastructure.RedisConfiguration, prefix)).Count > 0,
                "the views are cached in Redis once it answers");
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_Redis_absent_at_start_up_is_used_once_it_is_there()
    {
        var port = TestInfrastructure.FreePort();
        const string name = "views-absent-at-start";
        var prefix = $"test:views:{Guid.NewGuid():N}:";
        var service = new RedisCachedMembership($"127.0.0.1:{port}", prefix);
        await service.InitializeAsync();
        try
        {
            await AssertServedAsync(service);

            await TestInfrastructure.StartOwnAsync(InfrastructureKind.Redis, name, port);

            await Eventually.WaitUntilAsync(
                async () => await AssertServedAsync(service) && (await KeysAsync($"127.0.0.1:{port}", prefix)).Count > 0,
                "the views are cached in Redis once it is there");
        }
        finally
        {
            await service.DisposeAsync();
            await TestInfrastructure.StopOwnAsync(InfrastructureKind.Redis, name);
        }
    }

    private static async Task<bool> AssertServedAsync(MembershipApiHost service)
    {
        var view = await service.Client(MembershipApiHost.GiaLai2025).GetCommitteeViewAsync(new GetCommitteeViewRequest { Committee = Committee });
        Assert.Equal(Committee, view.Committee.Name);
        return true;
    }

    private static async Task<List<RedisKey>> KeysAsync(string configuration, string prefix)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        return await server.KeysAsync(pattern: prefix + "*").ToListAsync();
    }

    /// <summary>The Membership API with its views cached in the Redis at <paramref name="redis"/>, under keys of its own.</summary>
    private sealed class RedisCachedMembership(string redis, string prefix) : MembershipApiHost(new Dictionary<string, string?>
    {
        ["Cache:Provider"] = "Redis",
        ["ConnectionStrings:Redis"] = redis,
        ["Views:KeyPrefix"] = prefix,
    });
}
