/** Every experiment by name (`keel experiment <name>`). Each loads its module on demand. */
import type { Experiment } from './types.js';

export const EXPERIMENTS: Record<string, { title: string; load: () => Promise<Experiment> }> = {
  vanishing: {
    title: "The seed's setup: sigmoid + N(0,1) across depth vs Glorot, He, SELU",
    load: async () => (await import('./vanishing.js')).vanishing as Experiment,
  },
  glorot2010: {
    title: 'Glorot & Bengio 2010: standard vs normalized init (tanh, softsign, sigmoid)',
    load: async () => (await import('./glorot2010.js')).glorot2010 as Experiment,
  },
  he2015: {
    title: 'He et al. 2015: a 30-layer ReLU net stalls with Xavier, trains with He',
    load: async () => (await import('./he2015.js')).he2015 as Experiment,
  },
  he2016: {
    title: 'He et al. 2016: plain vs residual MLPs at depth 10/30/60 (gradient ratio, accuracy)',
    load: async () => (await import('./he2016.js')).he2016 as Experiment,
  },
  selu2017: {
    title: 'Klambauer et al. 2017: SELU self-normalization and what breaks it',
    load: async () => (await import('./selu2017.js')).selu2017 as Experiment,
  },
  batchnorm: {
    title: 'BatchNormalization: with/without, before/after the activation, with/without Dropout',
    load: async () => (await import('./batchnorm.js')).batchnorm as Experiment,
  },
  clipping: {
    title: 'Gradient clipping: clipnorm, clipvalue, global_clipnorm rescue an exploding net',
    load: async () => (await import('./clipping.js')).clipping as Experiment,
  },
  goyal2017: {
    title: 'Goyal et al. 2017: large-batch SGD diverges at the scaled rate without warm-up, trains with it',
    load: async () => (await import('./goyal2017.js')).goyal2017 as Experiment,
  },
  pascanu2013: {
    title: 'Pascanu et al. 2013: SimpleRNN on the adding problem vs T, with and without clipping, and LSTM',
    load: async () => (await import('./pascanu2013.js')).pascanu2013 as Experiment,
  },
  'selu-cnn': {
    title: "The seed's SELU for CNNs: a deep plain CNN, SELU vs ELU vs ReLU+BN on Fashion-MNIST",
    load: async () => (await import('./selu-cnn.js')).seluCnn as Experiment,
  },
  'handson-ch11': {
    title: 'Géron ch. 11 exercise on Fashion-MNIST: ELU+He, BN, SELU, AlphaDropout, MC dropout',
    load: async () => (await import('./handson-ch11.js')).handsonCh11 as Experiment,
  },
};

export const EXPERIMENT_NAMES = Object.keys(EXPERIMENTS);
