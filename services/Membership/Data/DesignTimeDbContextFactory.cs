using Egov.Steering.ServiceDefaults.Storage;

namespace Egov.Steering.Membership.Data;

internal sealed class DesignTimeDbContextFactory() : PostgreSqlDesignTimeFactory<MembershipDbContext>(options => new(options));
