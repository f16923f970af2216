using Egov.Steering.Storage;

namespace Egov.Steering.Membership.Data;

internal sealed class DesignTimeDbContextFactory() : PostgreSqlDesignTimeFactory<MembershipDbContext>(options => new(options));
