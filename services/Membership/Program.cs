using Egov.Steering.Membership;
using Egov.Steering.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMembershipStorage();

var app = builder.Build();
app.MapDefaultEndpoints();
return await app.RunMembershipAsync(args);
