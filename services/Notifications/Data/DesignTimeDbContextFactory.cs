using Egov.Steering.Storage;

namespace Egov.Steering.Notifications.Data;

internal sealed class DesignTimeDbContextFactory() : PostgreSqlDesignTimeFactory<NotificationsDbContext>(options => new(options));
