using Egov.Steering.Membership;
using Egov.Steering.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMembershipStorage();
builder.AddMembershipApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMembershipApi();
return await app.RunMembershipAsync(args);
