using Egov.Steering.AllInOne;

var app = Sandbox.Build(args);
return await app.RunSandboxAsync();
