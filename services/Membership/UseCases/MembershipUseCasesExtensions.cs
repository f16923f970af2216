using Egov.Steering.Membership.UseCases;

// The service's namespace, so that its Extensions.cs calls this without a using.
namespace Egov.Steering.Membership;

public static class MembershipUseCasesExtensions
{
    /// <summary>The use cases of <see cref="MembershipUseCases"/>, scoped as the database they work on.</summary>
    public static IServiceCollection AddMembershipUseCases(this IServiceCollection services)
    {
        services.AddScoped<RegisterAccess>();
        services.AddScoped<CommitteeUseCases>();
        services.AddScoped<CommitteeMembershipUseCases>();
        services.AddScoped<WorkingGroupUseCases>();
        services.AddScoped<PeopleUseCases>();
        services.AddScoped<PostUseCases>();
        services.AddScoped<ComplianceRuleUseCases>();
        services.AddScoped<ChangePreviewUseCase>();
        services.AddScoped<MembershipUseCases>();
        return services;
    }
}
