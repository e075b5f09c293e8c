import { Testing } from 'cdktf';

// Registers the cdktf jest matchers (toHaveResource, toHaveResourceWithProperties, ...).
Testing.setupJest();
