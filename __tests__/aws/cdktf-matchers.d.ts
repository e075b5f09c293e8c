// Types for the cdktf jest matchers that __tests__/setup.ts registers (Testing.setupJest()); cdktf declares
// them in a module the public entry point does not load, so the subset we use is declared here.
declare namespace jest {
  interface Matchers<R> {
    toHaveResource(resourceConstructor: { readonly tfResourceType: string }): R;
    toHaveResourceWithProperties(resourceConstructor: { readonly tfResourceType: string }, properties: Record<string, unknown>): R;
    toHaveDataSourceWithProperties(dataSourceConstructor: { readonly tfResourceType: string }, properties: Record<string, unknown>): R;
    toHaveProviderWithProperties(providerConstructor: { readonly tfResourceType: string }, properties: Record<string, unknown>): R;
  }
}
