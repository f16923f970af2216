using Egov.Steering.Storage;

namespace Egov.Steering.Membership.Data;

/// <summary>
/// <see cref="MembershipSeeder"/> as a release step: the <c>migrate</c> verb (and the sandbox before it serves) seeds
/// the reference organisations and compliance rules and refreshes derived text once per release, so seeding never
/// races between replicas at start-up.
/// </summary>
internal sealed class MembershipSeeding(IServiceScopeFactory scopes) : IReleaseStep
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await MembershipSeeder.SeedAsync(scope.ServiceProvider.GetRequiredService<MembershipDbContext>(), cancellationToken);
    }
}
