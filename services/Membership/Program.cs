using Egov.Steering.Membership;
using Egov.Steering.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMembership();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMembership();
return await app.RunMembershipAsync(args);
