using Egov.Steering.Storage;

namespace Egov.Steering.Decisions.Data;

internal sealed class DesignTimeDbContextFactory() : PostgreSqlDesignTimeFactory<DecisionsDbContext>(options => new(options));
