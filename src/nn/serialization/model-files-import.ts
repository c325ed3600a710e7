/**
 * io/model-files (.keras, .safetensors, legacy .h5), loaded on first use through a specifier bundlers do not
 * follow: the browser lab never carries the zip library or the HDF5 code, and Node loads them only when a
 * path names one of those formats.
 */
export type ModelFiles = typeof import('../../io/model-files/index.js');

export function importModelFiles(): Promise<ModelFiles> {
  const specifier = ['..', '..', 'io', 'model-files', 'index.js'].join('/');
  return import(specifier) as Promise<ModelFiles>;
}
