using Egov.Steering.Decisions.Data;
using Egov.Steering.Membership.Data;
using Egov.Steering.Notifications.Data;
using Egov.Steering.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Integration.Tests.Storage;

/// <summary>
/// The services' models compare list-valued columns without building a delegate per call: a decision tracks a
/// committee's whole current roster, and each role period's roles are snapshotted and compared at every save.
/// </summary>
public sealed class ServiceModelTests
{
    [Fact]
    public void No_value_comparer_of_a_service_model_builds_a_delegate_per_call()
    {
        using var membership = new MembershipDbContext(Options<MembershipDbContext>());
        using var decisions = new DecisionsDbContext(Options<DecisionsDbContext>());
        using var notifications = new NotificationsDbContext(Options<NotificationsDbContext>());

        Assert.Empty(new DbContext[] { membership, decisions, notifications }.SelectMany(db => ModelComparers.NestingLambdas(db.Model)));
    }

    private static DbContextOptions<TContext> Options<TContext>()
        where TContext : DbContext =>
        new DbContextOptionsBuilder<TContext>().UseNpgsql("Host=unused").UseSnakeCaseNamingConvention().Options;
}
