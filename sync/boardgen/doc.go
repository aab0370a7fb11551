// Package boardgen makes synthetic photos of a card wall for testing the
// board scanner: cards and column headers laid out exactly as the printer
// draws them, pinned in columns on a board, photographed by a simulated
// phone camera (perspective, rotation, uneven light, glare, defocus,
// sensor noise, JPEG), each with its ground truth.
package boardgen
