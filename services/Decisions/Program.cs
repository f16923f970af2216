using Egov.Steering.Decisions;
using Egov.Steering.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDecisions();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDecisions();
return await app.RunDecisionsAsync(args);
