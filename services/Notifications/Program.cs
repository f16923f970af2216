using Egov.Steering.Notifications;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNotifications();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapNotifications();
return await app.RunNotificationsAsync(args);
