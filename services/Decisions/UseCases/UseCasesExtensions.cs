using Egov.Steering.Decisions.Grpc;

namespace Egov.Steering.Decisions.UseCases;

public static class UseCasesExtensions
{
    /// <summary>Decisions' use cases, with Membership asked over gRPC behind <see cref="IMembershipChecks"/>.</summary>
    public static IServiceCollection AddDecisionsUseCases(this IServiceCollection services)
    {
        services.AddScoped<IMembershipChecks, MembershipChecks>();
        services.AddScoped<DecisionValidation>();
        services.AddScoped<DecisionDrafts>();
        services.AddScoped<DecisionQueries>();
        services.AddScoped<DecisionIssuing>();
        return services;
    }
}
