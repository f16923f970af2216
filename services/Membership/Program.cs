using Egov.Steering.Membership;
using Egov.Steering.Membership.Events;
using Egov.Steering.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMembershipStorage();
builder.AddMembershipEvents();
builder.AddMembershipApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMembershipApi();
return await app.RunMembershipAsync(args);
